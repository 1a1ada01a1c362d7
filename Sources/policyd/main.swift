print("policyd")
